"""Between appointments: care plans, today's part of them, and gentle nudges."""
