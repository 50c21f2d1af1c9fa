"""ailint: a static-analysis linter for Python code that calls AI APIs."""

__version__ = "0.1.0"
