import { defineAction, prop } from '@pmos/sdk/server';
import { idOf, listIn, objectIn, type Row } from '../payload.js';
import { messageBoard, project, recordingId } from '../props.js';
import { bcgptAuth, callTool, invalidInput, wholeId } from './common.js';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

const toMessage = (row: Row) => ({
  id: idOf(row),
  subject: text(row.subject) ?? text(row.title) ?? '',
  content: text(row.content),
  status: text(row.status),
  created_at: text(row.created_at),
  app_url: text(row.app_url) ?? text(row.url),
});

const toComment = (row: Row) => ({
  id: idOf(row),
  content: text(row.content) ?? '',
  creator: text((row.creator as Row | undefined)?.name) ?? null,
  created_at: text(row.created_at),
  app_url: text(row.app_url) ?? text(row.url),
});

const sampleMessage = {
  id: 4001,
  subject: 'Kick-off',
  content: '<div>Welcome to the launch project.</div>',
  status: 'active',
  created_at: '2026-11-02T09:00:00.000Z',
  app_url: 'https://3.basecamp.com/99/buckets/1001/messages/4001',
};

const sampleComment = {
  id: 5001,
  content: '<div>Looks good to me.</div>',
  creator: 'Ada Lovelace',
  created_at: '2026-11-02T10:00:00.000Z',
  app_url: 'https://3.basecamp.com/99/buckets/1001/messages/4001#__recording_5001',
};

export const listMessages = defineAction({
  id: 'list_messages',
  displayName: 'List messages',
  description: "Lists the messages on a project's message board.",
  risk: 'read',
  auth: bcgptAuth,
  props: { project },
  sampleOutput: { messages: [sampleMessage], count: 1 },
  async run(ctx) {
    const payload = await callTool(ctx, 'list_messages', { project: ctx.props.project });
    const messages = listIn(payload, ['messages']).map(toMessage);
    return { messages, count: messages.length };
  },
});

export const createMessage = defineAction({
  id: 'create_message',
  displayName: 'Post message',
  description: "Posts a message to a project's message board.",
  risk: 'write',
  auth: bcgptAuth,
  props: {
    project,
    board: messageBoard,
    subject: prop.shortText({ displayName: 'Subject', required: true }),
    content: prop.longText({
      displayName: 'Message',
      description: 'The body (Basecamp accepts simple HTML).',
      required: false,
    }),
  },
  sampleOutput: sampleMessage,
  async run(ctx) {
    const subject = ctx.props.subject.trim();
    if (!subject) throw invalidInput('Give the message a subject.');
    const payload = await callTool(ctx, 'create_message', {
      project: ctx.props.project,
      board_id: wholeId(ctx.props.board, 'The message board'),
      subject,
      content: ctx.props.content,
      status: 'active',
    });
    return toMessage(objectIn(payload, 'message'));
  },
});

export const listComments = defineAction({
  id: 'list_comments',
  displayName: 'List comments',
  description: 'Lists the comments on a to-do, message or other Basecamp item.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project, recording_id: recordingId },
  sampleOutput: { comments: [sampleComment], count: 1 },
  async run(ctx) {
    const payload = await callTool(ctx, 'list_comments', {
      project: ctx.props.project,
      recording_id: wholeId(ctx.props.recording_id, 'The item id'),
    });
    const comments = listIn(payload, ['comments']).map(toComment);
    return { comments, count: comments.length };
  },
});

export const createComment = defineAction({
  id: 'create_comment',
  displayName: 'Add comment',
  description: 'Adds a comment to a to-do, message or other Basecamp item.',
  risk: 'write',
  auth: bcgptAuth,
  props: {
    project,
    recording_id: recordingId,
    content: prop.longText({
      displayName: 'Comment',
      description: 'Basecamp accepts simple HTML.',
      required: true,
    }),
  },
  sampleOutput: sampleComment,
  async run(ctx) {
    const content = ctx.props.content.trim();
    if (!content) throw invalidInput('Write something to comment.');
    const payload = await callTool(ctx, 'create_comment', {
      project: ctx.props.project,
      recording_id: wholeId(ctx.props.recording_id, 'The item id'),
      content,
    });
    return toComment(objectIn(payload, 'comment'));
  },
});
