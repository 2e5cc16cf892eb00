"""What of a scraped body is the story: boilerplate rules, and the normalisation texts are compared in."""
