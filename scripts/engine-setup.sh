#!/usr/bin/env bash
# Placeholder until the engine tier lands: prepares nothing.
echo "engine setup: nothing to do yet"
