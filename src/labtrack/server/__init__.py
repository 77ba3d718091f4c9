"""The jupyter_server extension: a REST API over the tracking backend."""
