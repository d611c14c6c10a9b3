"""People: accounts (one person may act for several authorities), roles per authority, invitations."""
