"""MSPVault deployment: the local launcher (`make up`), the development mail sink, and one-shot deploy steps."""
