"""Practice: running one session for any front end, and the private history it keeps."""
