"""Curation: record edits with their sources, the audit log and revert, and the accounts of editors."""
