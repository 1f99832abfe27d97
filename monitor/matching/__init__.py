"""The watchlist matcher: relevance, actors, stances, shifts."""
