"""The thin HTTP edge shared by every service: one JSON error shape, the caller dependency, the app factory."""
