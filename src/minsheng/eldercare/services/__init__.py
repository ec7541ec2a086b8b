"""Every write of the eldercare module (one module per subject)."""
