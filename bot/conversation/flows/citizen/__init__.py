"""What a citizen does: the menu and the anonymous SKM survey."""
