"""Private means private: a private note, its replies and the names typed into it are its
author's alone, moderators and editors included; and suspension wins over every role.

Each test is an attack that worked before the fix (hardening issue 12, points 4 and 5).
"""
