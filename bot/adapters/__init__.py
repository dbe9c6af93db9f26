"""Front ends: turn platform events into tutor commands and replies into messages."""
