"""Command groups of the ``khabar`` CLI (each module has ``register``)."""
