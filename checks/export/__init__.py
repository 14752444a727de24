"""Reading and comparing the user's own TikTok data export ("Download your data")."""
