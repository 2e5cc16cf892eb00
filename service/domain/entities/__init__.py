"""How model and rule mentions become the contract's merged entities."""
