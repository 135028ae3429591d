// Never imported: its SDK range is refused first.
throw new Error('should not be imported');
