"""MSPVault provider service: providers (MSPs), their users, and the client organizations they administer."""
