"""The operator's report: how the adviser is used, with no personal data in it."""
