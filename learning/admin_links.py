"""Admin hooks: filled in by the admin_links work."""
