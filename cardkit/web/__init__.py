"""The app's edge: which hosts and origins it answers, what every response says about itself, how large a request may
be, which connections it keeps, and which socket messages from a browser it takes."""
