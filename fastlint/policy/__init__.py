"""The policy: the FAST standard as data (stages, bases, user, budgets, service matrix) and its template."""
