"""Pure rules of the organization service: roles, the member lifecycle, seats, policies, collection access."""
