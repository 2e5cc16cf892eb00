"""Stories and events: rewrites of one event in one language, and their reports in other languages."""
