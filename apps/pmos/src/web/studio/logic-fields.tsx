import {
  type CodeAction,
  type Condition,
  type ConditionOperator,
  conditionOperators,
  conditionTakesSecondValue,
  type FlowOperationInput,
  type LoopAction,
  type RouterAction,
} from '@pmos/flow';
import { Button, FormField } from '@pmos/ui';
import { PlusIcon } from '../common/icons.js';
import { OptionsCombo } from './options-combo.js';
import { updateOperation } from './step-ops.js';
import { ObjectField } from './structured-fields.js';
import { TemplateField } from './template-field.js';

const operatorLabels: Record<ConditionOperator, string> = {
  TEXT_CONTAINS: 'contains',
  TEXT_DOES_NOT_CONTAIN: 'does not contain',
  TEXT_EXACTLY_MATCHES: 'is exactly',
  TEXT_DOES_NOT_EXACTLY_MATCH: 'is not exactly',
  TEXT_STARTS_WITH: 'starts with',
  TEXT_ENDS_WITH: 'ends with',
  TEXT_MATCHES_REGEX: 'matches the pattern',
  NUMBER_IS_GREATER_THAN: 'is greater than',
  NUMBER_IS_LESS_THAN: 'is less than',
  NUMBER_IS_EQUAL_TO: 'equals (number)',
  BOOLEAN_IS_TRUE: 'is true',
  BOOLEAN_IS_FALSE: 'is false',
  DATE_IS_BEFORE: 'is before (date)',
  DATE_IS_AFTER: 'is after (date)',
  EXISTS: 'exists',
  DOES_NOT_EXIST: 'does not exist',
  LIST_CONTAINS: 'list contains',
  LIST_DOES_NOT_CONTAIN: 'list does not contain',
  LIST_IS_EMPTY: 'list is empty',
  LIST_IS_NOT_EMPTY: 'list is not empty',
};

type Edit = (operation: FlowOperationInput) => boolean;

export function LoopFields({
  step,
  edit,
  readOnly,
  problem,
}: {
  step: LoopAction;
  edit: Edit;
  readOnly: boolean;
  problem?: string | undefined;
}) {
  return (
    <FormField
      label="Items"
      required
      hint="The list to go through, e.g. {{step_1.rows}}."
      error={problem}
    >
      <TemplateField
        fieldLabel="Items"
        readOnly={readOnly}
        value={step.settings.items}
        placeholder="Insert a list from an earlier step"
        onCommit={(items) => edit(updateOperation(step, { settings: { items } }))}
      />
    </FormField>
  );
}

export function CodeFields({
  step,
  edit,
  readOnly,
}: {
  step: CodeAction;
  edit: Edit;
  readOnly: boolean;
}) {
  return (
    <>
      <FormField
        label="Inputs"
        hint="Named values the code reads as inputs.name; values take {{…}} data."
      >
        <ObjectField
          label="Inputs"
          readOnly={readOnly}
          value={step.settings.input}
          onChange={(input) =>
            edit(updateOperation(step, { settings: { ...step.settings, input: input ?? {} } }))
          }
        />
      </FormField>
      <FormField
        label="Code"
        required
        hint="The body of an async function of inputs; return what the next steps get."
      >
        <TemplateField
          multiline
          acceptsData={false}
          fieldLabel="Code"
          className="studio-code"
          readOnly={readOnly}
          value={step.settings.sourceCode.code}
          onCommit={(code) =>
            edit(updateOperation(step, { settings: { ...step.settings, sourceCode: { code } } }))
          }
        />
      </FormField>
    </>
  );
}

/** A router's branches: each one's name and conditions (all must hold); the last is the fallback. */
export function RouterFields({
  step,
  edit,
  readOnly,
}: {
  step: RouterAction;
  edit: Edit;
  readOnly: boolean;
}) {
  const { branches } = step.settings;
  const save = (next: typeof branches) =>
    edit(updateOperation(step, { settings: { ...step.settings, branches: next } }));
  const setCondition = (branchIndex: number, conditionIndex: number, change: Partial<Condition>) =>
    save(
      branches.map((branch, b) =>
        b !== branchIndex || branch.branchType !== 'CONDITION'
          ? branch
          : {
              ...branch,
              conditions: [
                (branch.conditions[0] ?? []).map((c, i) =>
                  i === conditionIndex ? { ...c, ...change } : c,
                ),
                ...branch.conditions.slice(1),
              ],
            },
      ),
    );
  return (
    <div className="stack">
      <FormField label="Which branches run">
        {readOnly ? (
          <output className="studio-readonly-value">
            {step.settings.executionType === 'EXECUTE_ALL_MATCH'
              ? 'Every branch that matches'
              : 'The first branch that matches'}
          </output>
        ) : (
          <OptionsCombo
            label="Which branches run"
            options={[
              { label: 'The first branch that matches', value: 'EXECUTE_FIRST_MATCH' },
              { label: 'Every branch that matches', value: 'EXECUTE_ALL_MATCH' },
            ]}
            value={step.settings.executionType}
            onChange={(executionType) =>
              edit(updateOperation(step, { settings: { ...step.settings, executionType } }))
            }
          />
        )}
      </FormField>
      {branches.map((branch, branchIndex) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: branches are edited in place, names may repeat
        <fieldset key={`${branchIndex}-${branch.branchName}`} className="studio-fieldset">
          <legend>{branch.branchName}</legend>
          {branch.branchType === 'FALLBACK' ? (
            <p className="muted small">Runs when no branch above matches.</p>
          ) : (
            <>
              {(branch.conditions[0] ?? []).map((condition, conditionIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions are edited in place
                <div key={conditionIndex} className="studio-condition">
                  <TemplateField
                    aria-label={`${branch.branchName}: value to test`}
                    fieldLabel={`${branch.branchName} value`}
                    placeholder="{{step_1.status}}"
                    readOnly={readOnly}
                    value={condition.firstValue}
                    onCommit={(firstValue) =>
                      setCondition(branchIndex, conditionIndex, { firstValue })
                    }
                  />
                  <select
                    className="pmos-select"
                    aria-label={`${branch.branchName}: comparison`}
                    disabled={readOnly}
                    value={condition.operator}
                    onChange={(event) =>
                      setCondition(branchIndex, conditionIndex, {
                        operator: event.target.value as ConditionOperator,
                      })
                    }
                  >
                    {conditionOperators.map((op) => (
                      <option key={op} value={op}>
                        {operatorLabels[op]}
                      </option>
                    ))}
                  </select>
                  {conditionTakesSecondValue(condition.operator) ? (
                    <TemplateField
                      aria-label={`${branch.branchName}: compared with`}
                      fieldLabel={`${branch.branchName} comparison value`}
                      readOnly={readOnly}
                      value={condition.secondValue ?? ''}
                      onCommit={(secondValue) =>
                        setCondition(branchIndex, conditionIndex, { secondValue })
                      }
                    />
                  ) : null}
                </div>
              ))}
              {readOnly ? null : (
                <div className="studio-inline-actions">
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() =>
                      save(
                        branches.map((b, i) =>
                          i !== branchIndex || b.branchType !== 'CONDITION'
                            ? b
                            : {
                                ...b,
                                conditions: [
                                  [
                                    ...(b.conditions[0] ?? []),
                                    { firstValue: '', operator: 'TEXT_CONTAINS', secondValue: '' },
                                  ],
                                  ...b.conditions.slice(1),
                                ],
                              },
                        ),
                      )
                    }
                  >
                    <PlusIcon /> And another condition
                  </Button>
                  {branches.length > 2 ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() =>
                        edit({
                          type: 'DELETE_BRANCH',
                          request: { stepName: step.name, branchIndex },
                        })
                      }
                    >
                      Delete branch
                    </Button>
                  ) : null}
                </div>
              )}
            </>
          )}
        </fieldset>
      ))}
      {readOnly ? null : (
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            edit({
              type: 'ADD_BRANCH',
              request: {
                stepName: step.name,
                branchIndex: branches.length - 1,
                branchName: `Branch ${branches.length}`,
              },
            })
          }
        >
          <PlusIcon /> Add a branch
        </Button>
      )}
    </div>
  );
}
