"""Push notifications to phones and browsers: transports (FCM HTTP v1, the log) in transport.py,
the send-and-record service that a Celery task calls in services.py."""
