"""The JSON shapes of the API, one module per area, as OpenAPI documents them.

Routes declare these as `response_model`, so FastAPI checks every JSON answer against its model
before it leaves: a key the model does not know is a server error in the tests, not a silent drop.
"""
