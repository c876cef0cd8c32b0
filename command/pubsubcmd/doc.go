// Package pubsubcmd is the pub/sub family: SUBSCRIBE, PSUBSCRIBE,
// SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB, over the
// core's registry (command.Dispatcher.Subscribe, Publish …).
package pubsubcmd
