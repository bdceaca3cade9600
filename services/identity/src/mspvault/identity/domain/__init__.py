"""Identity's rules, free of I/O: accounts, KDF bounds, EncString shapes, devices and refresh-token families."""
