"""Partner matching: who a local government should twin with, why, and how often it comes true.

``graph`` reads the registry's ties into sparse matrices (with the succession hook
``inherited_actors``), ``features`` computes the reasons for every (actor, candidate) pair,
``model`` learns their weights from the registry's own ties (conditional logit), ``recommend``
answers ``match ACTOR``, ``baselines`` holds the classical link predictors and ``evaluate`` the
held-out comparison (``match evaluate``). See docs/matching.md.
"""
