from mspvault.identity.entrypoints.cli import main

main()
