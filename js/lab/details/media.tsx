import * as React from 'react';

import type { IMediaItem } from '../tokens';
import { useSignal } from '../use-signal';
import type { IMediaView, MediaModel } from './media-model';
import { Section } from './sections';

function when(timestamp: number | null): string {
  return timestamp === null ? '' : new Date(timestamp).toLocaleString();
}

/** The run's images: per `log_image` key a step slider (←/→ move it), the step and time,
 *  a page of thumbnails around it, and the full image on click. Paths and keys are text. */
export function MediaSection({ model }: { model: MediaModel }): React.ReactElement | null {
  useSignal(model.changed);
  const [enlarged, setEnlarged] = React.useState<{ item: IMediaItem; title: string } | null>(
    null
  );
  const views = model.views;
  if (!views.length && !model.error) {
    return null; // no images: no section
  }
  return (
    <Section title="Media" testid="labtrack-run-media" wide>
      {model.error && (
        <div className="lt-Error" role="alert">
          Could not list the run's images: {model.error}
        </div>
      )}
      {model.index?.truncated && (
        <div className="lt-Muted">Only the first part of a large artifact tree was searched for images.</div>
      )}
      <div className="lt-Media">
        {views.map(view => (
          <MediaKeyView
            key={`${view.group.kind}/${view.group.key}`}
            view={view}
            model={model}
            onEnlarge={item => setEnlarged({ item, title: view.group.key })}
          />
        ))}
      </div>
      {enlarged && (
        <Enlarged
          src={model.url(enlarged.item.path)}
          title={enlarged.title}
          item={enlarged.item}
          onClose={() => setEnlarged(null)}
        />
      )}
    </Section>
  );
}

function MediaKeyView(props: {
  view: IMediaView;
  model: MediaModel;
  onEnlarge: (item: IMediaItem) => void;
}): React.ReactElement {
  const { view, model } = props;
  const { group, position, page, pageStart } = view;
  const item = page?.[position - pageStart] ?? null;
  const stepped = group.kind === 'stepped';
  const step = stepped ? group.steps[position] : null;
  const timestamp = stepped ? group.timestamps[position] : null;
  // The image as logged (the browser scales it to the frame); MLflow's 256 px copy is for
  // the thumbnails: small images look blurred in it.
  const src = model.url(item?.path ?? item?.thumbnail_path);
  const move = (event: React.KeyboardEvent): void => {
    if (event.target instanceof HTMLInputElement) {
      return; // the slider moves itself
    }
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta) {
      event.preventDefault();
      model.show(group, position + delta);
    }
  };
  return (
    <div
      className="lt-Media-key"
      data-testid="labtrack-media-key"
      data-key={group.key}
      data-position={position}
      onKeyDown={move}
    >
      <div className="lt-Media-head">
        <span className="lt-Media-name">{group.key}</span>
        <span className="lt-Media-where" data-testid="labtrack-media-step" data-step={step ?? ''}>
          {stepped ? `step ${step}` : (item?.path ?? '')} · {position + 1} of {group.count}
        </span>
        {timestamp !== null && <time className="lt-Muted">{when(timestamp)}</time>}
      </div>
      <button
        type="button"
        className="lt-Media-frame"
        title="Show the full image"
        aria-label={`${group.key}${stepped ? ` at step ${step}` : ''}: show the full image`}
        disabled={!item}
        onClick={() => item && props.onEnlarge(item)}
      >
        {src ? (
          <img src={src} alt={`${group.key}${stepped ? ` step ${step}` : ''}`} data-testid="labtrack-media-image" data-step={step ?? ''} />
        ) : (
          <span className="lt-Muted">{view.error ?? 'Loading…'}</span>
        )}
      </button>
      {group.count > 1 && (
        <input
          type="range"
          className="lt-Media-slider"
          data-testid="labtrack-media-slider"
          aria-label={`${group.key}: ${stepped ? 'step' : 'image'}`}
          aria-valuetext={stepped ? `step ${step}` : `${position + 1} of ${group.count}`}
          min={0}
          max={group.count - 1}
          step={1}
          value={position}
          onChange={event => model.show(group, Number(event.currentTarget.value))}
        />
      )}
      {page && page.length > 1 && (
        <div className="lt-Media-strip" data-testid="labtrack-media-thumbnails">
          {page.map(entry => {
            const thumb = model.url(entry.thumbnail_path ?? entry.path);
            return (
              <button
                type="button"
                key={entry.index}
                className={`lt-Media-thumb${entry.index === position ? ' lt-mod-current' : ''}`}
                aria-pressed={entry.index === position}
                title={entry.step !== null ? `step ${entry.step}` : entry.path}
                onClick={() => model.show(group, entry.index)}
              >
                {thumb ? <img src={thumb} alt="" loading="lazy" /> : <span className="lt-Media-blank" />}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

function Enlarged(props: {
  src: string | null;
  title: string;
  item: IMediaItem;
  onClose: () => void;
}): React.ReactElement {
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => ref.current?.focus(), []);
  const label = props.item.step !== null ? `${props.title} · step ${props.item.step}` : props.item.path;
  return (
    <div
      ref={ref}
      className="lt-Media-overlay"
      role="dialog"
      aria-label={label}
      data-testid="labtrack-media-enlarged"
      tabIndex={-1}
      onClick={props.onClose}
      onKeyDown={event => event.key === 'Escape' && props.onClose()}
    >
      <figure>
        {props.src ? <img src={props.src} alt={label} /> : <span>Loading…</span>}
        <figcaption>{label} — click or Escape to close</figcaption>
      </figure>
    </div>
  );
}
