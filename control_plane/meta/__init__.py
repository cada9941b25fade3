"""The API about itself: liveness and its OpenAPI document. Routes only (nothing to decide
or store)."""
