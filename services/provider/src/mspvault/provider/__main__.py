"""`python -m mspvault.provider [serve|migrate]`."""

from mspvault.provider.bootstrap import build_parts
from mspvault.shared.runtime import main

if __name__ == "__main__":
    main(build_parts)
