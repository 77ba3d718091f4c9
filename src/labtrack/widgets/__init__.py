"""anywidget classes whose front end is the ESM bundle built from ``js/widgets/``."""
