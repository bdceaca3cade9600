"""The official Bitwarden CLI against the whole running system (marker `interop`)."""
