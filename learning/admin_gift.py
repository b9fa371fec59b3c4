"""Admin hooks: filled in by the admin_gift work."""
