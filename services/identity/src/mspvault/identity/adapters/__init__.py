"""Identity's adapters: tables, repositories, the password hasher and the signing-key store."""
