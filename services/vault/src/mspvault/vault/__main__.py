"""`python -m mspvault.vault [serve|migrate]`."""

from mspvault.shared.runtime import main
from mspvault.vault.bootstrap import build_parts

if __name__ == "__main__":
    main(build_parts)
