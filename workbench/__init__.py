"""workbench: pair, translate, align and review Chinese/Vietnamese news reports."""

__version__ = "0.1.0"
