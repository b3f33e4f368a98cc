"""Read-table queries used by the pages: one module per read model."""
