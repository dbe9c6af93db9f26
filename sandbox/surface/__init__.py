"""The curated torch/numpy/stdlib surface learner code sees, as read-only module proxies.

``catalog`` builds the proxies and their allow-lists, ``proxy`` is the proxy class, ``reasons`` says why
each refused name is refused.
"""
