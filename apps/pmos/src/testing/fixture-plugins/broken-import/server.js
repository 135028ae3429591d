// A fixture plugin whose code throws as soon as it is imported.
throw new Error('cannot initialise: missing native module');
