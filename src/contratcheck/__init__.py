"""contratcheck: audit of French IT managed-service and maintenance contracts."""

__version__ = "1.2.0"
