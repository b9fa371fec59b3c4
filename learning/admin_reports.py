"""Admin hooks: filled in by the admin_reports work."""
