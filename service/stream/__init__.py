"""The Faust runtime: app and topics, agents, state holders, web views, the patches under Faust/aiokafka."""
