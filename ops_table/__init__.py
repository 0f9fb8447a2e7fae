"""The single source of truth for ops: declarative entries, their generator, the generated table."""
