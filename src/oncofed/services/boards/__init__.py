"""Tumour boards (RCP, issue 19): boards and meetings, cases and their cards, decisions and the
signed record, events that re-open a case, and the records' indicators for the quality module."""
