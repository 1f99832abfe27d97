"""Feed fetching, parsing and normalising: bytes from the web become Article records."""
