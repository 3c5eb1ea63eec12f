"""The screens of the calm app, one module each."""
