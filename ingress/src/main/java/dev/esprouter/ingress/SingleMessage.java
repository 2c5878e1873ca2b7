package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;

/** A validated {@code POST /v1/messages}: the shared part and its one recipient (with its new message id). */
record SingleMessage(SendRequest request, Recipient recipient) {
}
