"""MSPVault's shared library: the contracts and plumbing every service uses, implemented once."""
