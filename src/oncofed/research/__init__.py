"""The research engine (issue 20): pure logic over values, imports only `domain/` and resources.

Affiliation matching (which network centres an author affiliation names, or why it needs a
person's review), country detection, site-activation statistics, and the co-publication graph.
"""
