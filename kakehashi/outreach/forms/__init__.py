"""Forms of the outreach screens, one module per screen group. They validate input; services write."""
